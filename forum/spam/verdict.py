"""What the spam layers say about a post: an action, a score and the reasons behind it."""

from dataclasses import dataclass, field
from typing import NamedTuple

ACTIONS = ("publish", "hold", "reject")


class Reason(NamedTuple):
    """One piece of evidence: which rule, how much it weighs, what it saw. ``action`` forces a
    minimum outcome (admin rules, the link cap) whatever the score."""

    rule: str
    weight: float
    evidence: str
    action: str | None = None

    def as_dict(self):
        data = {"rule": self.rule, "weight": round(self.weight, 2), "evidence": self.evidence}
        if self.action:
            data["action"] = self.action
        return data


@dataclass
class Verdict:
    action: str
    score: float
    reasons: list = field(default_factory=list)
    trust: str = "new"
    dry_run: bool = False

    @property
    def flags(self):
        """Admin "flag" rules that matched: the post is published and queued for a look."""
        return [reason for reason in self.reasons if reason.action == "flag"]

    def reasons_json(self):
        return [reason.as_dict() for reason in self.reasons]

    def as_dict(self):
        data = {
            "action": self.action,
            "score": round(self.score, 2),
            "trust": self.trust,
            "reasons": self.reasons_json(),
        }
        if self.dry_run:
            data["dry_run"] = True
        return data


def decide(reasons, trust, policy):
    """The verdict for these reasons: forced actions first, then the score against the
    thresholds of the author's trust level."""
    score = round(sum(reason.weight for reason in reasons), 2)
    forced = {reason.action for reason in reasons}
    reject_at = policy.reject_score
    if "block" in forced or (reject_at and score >= reject_at):
        action = "reject"
    elif "hold" in forced or score >= policy.values[f"hold_score_{trust}"]:
        action = "hold"
    else:
        action = "publish"
    ranked = sorted(reasons, key=lambda reason: -abs(reason.weight))
    return Verdict(action, score, ranked, trust, policy.dry_run)
