"""Rules for usernames, email addresses and passwords, shared by the forms, the CLI and the
API."""

import re
import unicodedata

from email_validator import EmailNotValidError, validate_email

from forum.users.confusables import confusable_key, is_mixed_script, mixes_digit_systems

# Letters of any script (with their combining marks) and decimal digits, plus "_.-".
NAME_CATEGORIES = {"Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Nd"}
NAME_PUNCTUATION = set("_.-")
NAME_MAX_MARKS = 2
RESERVED = {
    "admin",
    "administrator",
    "api",
    "moderator",
    "mod",
    "staff",
    "support",
    "system",
    "root",
    "null",
    "none",
    "anonymous",
    "guest",
    "forum",
    "help",
    "official",
    "security",
}
COMMON_PASSWORDS = {
    "password",
    "password1",
    "password123",
    "passw0rd",
    "12345678",
    "123456789",
    "1234567890",
    "qwertyuiop",
    "qwerty123",
    "iloveyou",
    "letmein123",
    "welcome123",
    "admin123",
    "abc12345",
    "11111111",
    "00000000",
    "trustno1",
    "sunshine1",
    "football1",
    "baseball1",
    "changeme",
}
# Deleted accounts are renamed "deleted-<id>" (forum/users/deletion.py); nobody may take a name
# of that shape first, or one that looks like it ("Deleted_7", "de1eted.7").
DELETED_PREFIX = "deleted-"
DIGIT_LOOKALIKES = set("oil")  # 0, 1 and 1 in most fonts
PASSWORD_MIN, PASSWORD_MAX = 10, 200
PASSWORD_HELP = f"At least {PASSWORD_MIN} characters; a short sentence works well."
EMAIL_MAX = 254  # RFC 5321's limit on a forward path, and the column's size


def normalized_username(username):
    """The form a username is stored in: NFKC ("ｃａｒｏｌ" and "carol" are one name)."""
    return unicodedata.normalize("NFKC", username.strip())


def username_key(username):
    return unicodedata.normalize("NFKC", username).casefold()


def username_problem(username, allow_reserved=False):
    """Why ``username`` (normalised) is not acceptable, or None. Names that merely look like
    a reserved name ("adm1n", "Suррort" with Cyrillic letters) are reserved too."""
    username = normalized_username(username)
    if not 3 <= len(username) <= 30:
        return "Username must be 3 to 30 characters long."
    categories = [unicodedata.category(ch) for ch in username]
    if categories[0] not in NAME_CATEGORIES - {"Mn", "Mc"} or not all(
        category in NAME_CATEGORIES or ch in NAME_PUNCTUATION
        for ch, category in zip(username, categories, strict=True)
    ):
        return (
            "Username may contain only letters, digits, dots, dashes and underscores, "
            "and must start with a letter or digit."
        )
    if _most_stacked_marks(categories) > NAME_MAX_MARKS:
        return f"Username may carry at most {NAME_MAX_MARKS} accent marks on one letter."
    if is_mixed_script(username) or mixes_digit_systems(username):
        return (
            "Username must not mix alphabets (such as Latin and Cyrillic letters) or kinds of "
            "digits, so that it cannot imitate another name."
        )
    if not allow_reserved and (
        username_key(username) in RESERVED
        or confusable_key(username) in _reserved_keys()
        or _looks_deleted(username)
    ):
        return "That username is reserved; please choose another."
    return None


def _most_stacked_marks(categories):
    most = run = 0
    for category in categories:
        run = run + 1 if category == "Mn" else 0
        most = max(most, run)
    return most


def _looks_deleted(username):
    """Whether ``username`` has the placeholders' shape, "deleted-<id>", or looks like it
    ("Deleted_7", "de1eted.3", "deleted-1O"). Other names that start with "deleted" stay free:
    the Stack Exchange import names authors it only knows as gone "deleted-user"."""
    match = re.fullmatch(r"(.+?)[-_.](\w+)", username_key(username))
    return (
        match is not None
        and confusable_key(match[1]) == DELETED_PREFIX[:-1]
        and all(ch.isdigit() or ch in DIGIT_LOOKALIKES for ch in match[2])
    )


def _reserved_keys():
    return {confusable_key(name) for name in RESERVED}


def password_problem(password, username="", email=""):
    """Why ``password`` is too weak, or None."""
    if len(password) < PASSWORD_MIN:
        return f"Password must be at least {PASSWORD_MIN} characters long."
    if len(password) > PASSWORD_MAX:
        return f"Password must be at most {PASSWORD_MAX} characters long."
    lowered = password.casefold()
    if lowered in COMMON_PASSWORDS or len(set(lowered)) < 4:
        return "That password is too easy to guess; please choose another."
    if username and username.casefold() in lowered:
        return "Password must not contain your username."
    if email and email.split("@")[0].casefold() in lowered and len(email.split("@")[0]) > 3:
        return "Password must not contain your email address."
    return None


def normalized_email(email):
    """The form an email address is stored and compared in: trimmed, lower case."""
    return email.strip().lower()


def email_problem(email):
    """Why ``email`` cannot be an account's address, or None. Whether the domain receives mail
    is not asked: that would make registering wait on DNS."""
    email = normalized_email(email)
    if not email:
        return "Enter your email address."
    if len(email) > EMAIL_MAX:
        return "That email address is too long."
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return "That doesn't look like an email address."
    return None
