"""Demo content for the ``flask seed-demo`` command: the categories and users here, each
category's threads in a module of its own.

Pure data: no imports from the application. The fictional company is "Northwind Cloud", which
sells a cloud backup + file sync product for small businesses (desktop clients for
Windows/macOS/Linux, mobile apps, a web dashboard, team accounts, billing and an API).

All names, emails, error codes and links are invented. Thread ``age_hours`` is how long ago the
question was asked; each reply's ``after_hours`` is measured from the question, and is always
smaller than the thread's age. ``accepted`` is an index into ``replies`` (or ``None``).
"""

from forum.demo.content.api_integrations import THREADS as API_INTEGRATIONS
from forum.demo.content.billing_accounts import THREADS as BILLING_ACCOUNTS
from forum.demo.content.getting_started import THREADS as GETTING_STARTED
from forum.demo.content.mobile_apps import THREADS as MOBILE_APPS
from forum.demo.content.sync_backup import THREADS as SYNC_BACKUP

DEMO_PASSWORD = "demo-password"

CATEGORIES = [
    {
        "name": "Getting started",
        "slug": "getting-started",
        "description": "Installing the apps, setting up your first backup and finding your way "
        "around Northwind Cloud.",
    },
    {
        "name": "Sync & backup",
        "slug": "sync-backup",
        "description": "Desktop clients for Windows, macOS and Linux: sync folders, backup sets, "
        "restores, conflicts and performance.",
    },
    {
        "name": "Billing & accounts",
        "slug": "billing-accounts",
        "description": "Plans, invoices, payment methods, team accounts, seats and ownership.",
    },
    {
        "name": "Mobile apps",
        "slug": "mobile-apps",
        "description": "The iOS and Android apps: camera uploads, offline files and app settings.",
    },
    {
        "name": "API & integrations",
        "slug": "api-integrations",
        "description": "The REST API, OAuth apps, webhooks and connecting Northwind Cloud to "
        "other tools.",
    },
]

USERS = [
    {
        "username": "admin",
        "email": "admin@example.com",
        "role": "admin",
        "password": DEMO_PASSWORD,
    },
    {
        "username": "mod",
        "email": "mod@example.com",
        "role": "moderator",
        "password": DEMO_PASSWORD,
    },
    {
        "username": "sam_support",
        "email": "sam.support@example.com",
        "role": "staff",
        "password": DEMO_PASSWORD,
    },
    {
        "username": "priya_staff",
        "email": "priya.staff@example.com",
        "role": "staff",
        "password": DEMO_PASSWORD,
    },
    {
        "username": "jenna_k",
        "email": "jenna.k@example.com",
        "role": "customer",
        "password": DEMO_PASSWORD,
    },
    {
        "username": "marco_r",
        "email": "marco.r@example.com",
        "role": "customer",
        "password": DEMO_PASSWORD,
    },
    {
        "username": "dave_builds",
        "email": "dave.builds@example.com",
        "role": "customer",
        "password": DEMO_PASSWORD,
    },
    {
        "username": "linh_nguyen",
        "email": "linh.nguyen@example.com",
        "role": "customer",
        "password": DEMO_PASSWORD,
    },
    {
        "username": "tomasz_w",
        "email": "tomasz.w@example.com",
        "role": "customer",
        "password": DEMO_PASSWORD,
    },
    {
        "username": "ruth_accounting",
        "email": "ruth.accounting@example.com",
        "role": "customer",
        "password": DEMO_PASSWORD,
    },
]


# In the order the demo creates them.
THREADS = [*GETTING_STARTED, *SYNC_BACKUP, *BILLING_ACCOUNTS, *MOBILE_APPS, *API_INTEGRATIONS]
