"""Rules for usernames and passwords, shared by the forms, the CLI and the API."""

import re
import unicodedata

USERNAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
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
PASSWORD_MIN, PASSWORD_MAX = 10, 200


def username_key(username):
    return unicodedata.normalize("NFKC", username).casefold()


def username_problem(username, allow_reserved=False):
    """Why ``username`` is not acceptable, or None."""
    if not 3 <= len(username) <= 30:
        return "Username must be 3 to 30 characters long."
    if not USERNAME_RE.match(username):
        return (
            "Username may contain only letters, digits, dots, dashes and underscores, "
            "and must start with a letter or digit."
        )
    if not allow_reserved and username_key(username) in RESERVED:
        return "That username is reserved; please choose another."
    return None


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
