"""Phrasing that spam uses and customers rarely do: casino, loans, pharma, "support number"
scams, link exchange, "follow my blog", get-rich offers. One reason per family, heavier when
several phrases of the family appear."""

import re

from forum.spam.verdict import Reason

FAMILIES = {
    "casino": r"online casino|casino bonus|free spins|no deposit bonus|jackpot"
    r"|slot (?:games|machines|online|gacor)|online slots?|sportsbook|betting (?:tips|site|odds)"
    r"|poker online|roulette"
    r"|baccarat|bonus code|togel|judi online|bet365|1xbet",
    "loans": r"payday loans?|instant (?:cash )?loans?|loan approval|guaranteed approval|bad credit"
    r"|credit repair|debt relief|quick cash|low interest loans?|cash advance|loan lenders?",
    "pharma": r"viagra|cialis|levitra|tramadol|xanax|oxycodone|no prescription|without (?:a )?"
    r"prescription|online pharmacy|pharmacy online|weight loss pills|keto (?:pills|gummies)"
    r"|cbd gummies|male enhancement|diet pills",
    "support number": r"customer (?:care|support|service) (?:phone )?(?:number|helpline)"
    r"|helpline (?:number|no)|toll[- ]?free(?: number)?|support phone number|call (?:our|the)"
    r" (?:experts?|technicians?|helpline)|24/?7 (?:helpline|customer care|tech support)"
    r"|tech support number|(?:activation|refund) (?:helpline|number)",
    "link exchange": r"link exchange|exchange links|backlinks?|guest post(?:ing)?|do-?follow"
    r"|seo services?|link building|rank (?:your|my) (?:site|website)|boost your traffic"
    r"|increase (?:your )?(?:website )?traffic|high da (?:sites|links)",
    "follow my blog": r"follow my (?:blog|channel|page)|(?:check out|visit|read) my (?:blog|website"
    r"|site|channel|page)|subscribe to my (?:channel|blog)|my youtube channel|on my blog"
    r"|follow me on (?:instagram|tiktok|twitter)",
    "get rich": r"forex|binary options|crypto (?:investment|trading) (?:platform|expert|company)"
    r"|recover (?:your |my )?(?:lost|stolen|scammed) (?:crypto|bitcoin|funds|money)"
    r"|(?:hacker|hackers) for hire|double your (?:bitcoin|money|investment)|passive income"
    r"|make money (?:online|from home|fast)|work from home (?:job|opportunit)"
    r"|earn \$\d+ (?:per|a) day",
    "other": r"essay writing service|write my essay|replica watches|cheap (?:jerseys|ray-?bans?"
    r"|uggs|nfl)|hot singles|escort service|dating site|buy followers|buy instagram",
}
# One pass over the lowercased text with a named group per family: a tenth of the cost of
# one case-insensitive search per family.
GROUPS = {f"f{index}": family for index, family in enumerate(FAMILIES)}
PATTERN = re.compile(
    r"\b(?:" + "|".join(f"(?P<f{i}>{p})" for i, p in enumerate(FAMILIES.values())) + r")\b"
)


def spam_phrases(context):
    sample = context.sample
    found = {}
    for match in PATTERN.finditer(f"{sample.title}\n{sample.prose}".lower()):
        family = GROUPS[match.lastgroup]
        found.setdefault(family, {})[match.group(0)] = None
    reasons = []
    for family, phrases in found.items():
        weight = context.policy.w_phrase * min(1.0 + 0.5 * (len(phrases) - 1), 2.0)
        evidence = f"{family} phrasing: " + ", ".join(f"“{p}”" for p in list(phrases)[:3])
        reasons.append(Reason(f"phrase.{family.replace(' ', '_')}", weight, evidence))
    return reasons
