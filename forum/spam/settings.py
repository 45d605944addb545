"""Every spam threshold and weight, with its built-in default.

A value comes from, in order: what an admin saved in the admin UI (table ``spam_settings``),
the ``SPAM_<NAME>`` environment variable (collected into ``app.config["SPAM_SETTINGS"]``), the
default below. ``forum.spam.policy`` reads them all at once.

Numbers must be finite and within the setting's range: a NaN threshold compares false with
every score, so it would silently stop holding anything.
"""

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass

from limits import parse_many

log = logging.getLogger(__name__)

# Environment variables beside the settings: (name, lowest, highest) in seconds.
SECONDS = (("SPAM_POLICY_TTL", 0, 3600), ("SPAM_RULE_TIMEOUT", 0.001, 10))


class SettingError(ValueError):
    """A value that does not fit its setting; the message says what would."""


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    label: str
    group: str
    minimum: float | None = None
    maximum: float | None = None
    # Refuses a text setting's value that does not parse (SettingError); returns it otherwise.
    check: Callable | None = None

    def __post_init__(self):
        if self.kind in (int, float) and (self.minimum is None or self.maximum is None):
            raise TypeError(f"numeric spam setting {self.name} needs a minimum and a maximum")

    @property
    def kind(self):
        return type(self.default)

    def coerce(self, value):
        """The value as this setting's type; refuses what does not parse, numbers that are not
        finite (NaN, infinities) and numbers out of range."""
        if self.kind is bool:
            if isinstance(value, str):
                value = value.strip().lower()
                if value not in {"1", "0", "true", "false", "yes", "no", "on", "off"}:
                    raise SettingError(f"{self.label}: say true or false.")
                return value in {"1", "true", "yes", "on"}
            return bool(value)
        if self.kind is str:
            value = str(value).strip()[:200]
            return self.check(self, value) if self.check else value
        try:
            number = self.kind(value)
        except (TypeError, ValueError, OverflowError):
            raise SettingError(f"{self.label}: {value!r} is not a number.") from None
        low, high = self.minimum, self.maximum
        if not math.isfinite(number):
            raise SettingError(
                f"{self.label}: must be a finite number between {low:g} and {high:g}."
            )
        if not low <= number <= high:
            raise SettingError(f"{self.label}: must be between {low:g} and {high:g}.")
        return number


def _rate_limits(setting, value):
    if value:
        try:
            parse_many(value)
        except ValueError:
            raise SettingError(
                f"{setting.label}: write it like “3 per 5 minutes;20 per day”."
            ) from None
    return value


def _scripts(setting, value):
    if not value:
        raise SettingError(f"{setting.label}: name at least one script, e.g. Latin.")
    return value


def _w(name, default, label):
    return Setting(name, float(default), label, "Heuristic weights", 0.0, 50.0)


SETTINGS = (
    Setting("dry_run", False, "Dry run: score and log, never hold or reject", "Mode"),
    Setting("premoderate_new", False, "Hold every post from new accounts", "Mode"),
    Setting("hold_score_new", 4.0, "Hold at score (new accounts)", "Thresholds", 0.5, 100),
    Setting("hold_score_basic", 6.0, "Hold at score (basic accounts)", "Thresholds", 0.5, 100),
    Setting("hold_score_trusted", 10.0, "Hold at score (trusted accounts)", "Thresholds", 0.5, 100),
    Setting(
        "reject_score", 16.0, "Reject at score (0 = never reject by score)", "Thresholds", 0, 200
    ),
    Setting(
        "flag_hide_weight", 3.0, "Hide a post when its open flags weigh", "Thresholds", 0.5, 100
    ),
    Setting("basic_min_posts", 3, "Basic trust: approved posts", "Trust", 0, 1000),
    Setting("basic_min_age_days", 1, "Basic trust: account age in days", "Trust", 0, 3650),
    Setting("trusted_min_posts", 20, "Trusted: approved posts", "Trust", 0, 10000),
    Setting("trusted_min_age_days", 30, "Trusted: account age in days", "Trust", 0, 3650),
    Setting("links_first_post", 0, "Links allowed in a first post", "Links", 0, 100),
    Setting("links_new", 2, "Links allowed per post (new accounts)", "Links", 0, 100),
    Setting("links_basic", 8, "Links allowed per post (basic accounts)", "Links", 0, 100),
    Setting("links_per_100_words", 4.0, "Links per 100 words before it counts", "Links", 0.5, 100),
    Setting(
        "rate_limit_new",
        "3 per 5 minutes;20 per day",
        "Posting limit (new accounts)",
        "Rates",
        check=_rate_limits,
    ),
    Setting("velocity_window_minutes", 10, "Velocity window in minutes", "Rates", 1, 1440),
    Setting("velocity_max_posts", 4, "Posts in that window before it counts", "Rates", 1, 1000),
    Setting(
        "duplicate_window_hours", 48, "Look for duplicates this far back (hours)", "Rates", 1, 720
    ),
    Setting(
        "allowed_scripts",
        "Latin",
        "Scripts the community writes in (comma list)",
        "Language",
        check=_scripts,
    ),
    Setting(
        "foreign_script_share",
        0.3,
        "Share of letters in other scripts that counts",
        "Language",
        0.01,
        1,
    ),
    Setting("classifier_weight", 5.0, "Classifier weight", "Classifier", 0.0, 50.0),
    _w("w_link_cap", 4.0, "Too many links for the account's trust"),
    _w("w_link_density", 2.0, "Many links for the amount of text"),
    _w("w_link_edge", 1.0, "Link at the very start or end"),
    _w("w_shortener", 2.5, "URL shortener"),
    _w("w_misleading_link", 3.0, "Link text names another domain"),
    _w("w_phone", 3.0, "Phone number"),
    _w("w_contact", 2.0, "E-mail or messaging contact"),
    _w("w_repeated_chars", 1.0, "Repeated characters"),
    _w("w_repeated_words", 1.5, "Repeated words"),
    _w("w_script", 4.5, "Written in another script"),
    _w("w_duplicate_author", 2.0, "Repeats the author's recent post"),
    _w("w_duplicate_anyone", 3.0, "Repeats someone else's recent post"),
    _w("w_velocity", 2.0, "Posting very fast"),
    _w("w_link_only_reply", 2.5, "Short reply that is mostly a link"),
    _w("w_phrase", 2.5, "Spam phrasing (casino, loans, support number…)"),
    _w("w_username_domain", 2.0, "Username resembles a linked domain"),
)
BY_NAME = {setting.name: setting for setting in SETTINGS}
GROUPS = tuple(dict.fromkeys(setting.group for setting in SETTINGS))


def resolve(configured, saved):
    """All settings as a dict: ``saved`` (admin UI) over ``configured`` (environment) over
    defaults. A saved value that no longer parses (a NaN stored before NaN was refused) falls
    back to the next source, with a warning, instead of failing every post."""
    values = {}
    for setting in SETTINGS:
        value = setting.default
        for source in (configured, saved):
            if setting.name in source:
                try:
                    value = setting.coerce(source[setting.name])
                except SettingError as error:
                    log.warning("ignoring spam setting %s: %s", setting.name, error)
        values[setting.name] = value
    return values


def check_config(config):
    """Refuse to start on a ``SPAM_*`` environment value the forum cannot use: an unknown
    setting's name, a value its setting refuses, a cache time or rule time limit that is not a
    finite number of seconds. Raises SettingError naming every bad variable."""
    problems = []
    for name, value in (config.get("SPAM_SETTINGS") or {}).items():
        variable = f"SPAM_{name.upper()}"
        if name not in BY_NAME:
            problems.append(f"{variable} is not a spam setting (see docs/spam.md#settings).")
            continue
        try:
            BY_NAME[name].coerce(value)
        except SettingError as error:
            problems.append(f"{variable}={value}: {error}")
    for variable, low, high in SECONDS:
        value = config.get(variable)
        if value is None:
            continue
        if not (isinstance(value, int | float) and math.isfinite(value) and low <= value <= high):
            problems.append(
                f"{variable}={value}: must be a number of seconds from {low:g} to {high:g}."
            )
    if problems:
        raise SettingError("Bad spam settings in the environment: " + " ".join(problems))
