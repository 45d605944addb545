"""Demo threads in the "Billing & accounts" category (see forum/demo/content/__init__.py)."""

THREADS = [
    {
        "category": "billing-accounts",
        "author": "ruth_accounting",
        "title": "Charged twice for March?",
        "age_hours": 360,
        "pinned": False,
        "locked": False,
        "accepted": None,
        "body": "Our card statement shows two charges of $72.00 from Northwind Cloud on "
        "March 1st, but the dashboard only lists one invoice (`INV-2024-03-0417`). "
        "Can someone check?",
        "replies": [
            {
                "author": "sam_support",
                "after_hours": 0.8,
                "body": """\
Hi Ruth, sorry about that! I've found your account via your forum email. The second charge was
a payment retry that went through after the first one had already succeeded. A bug on our
side that affected a small number of accounts on March 1st.

- The duplicate charge has been **refunded** today.
- Depending on your bank it takes **3–5 business days** to show on your statement.
- You'll get a refund receipt by email as well.

I won't post more account details here, but reply if it hasn't arrived by next week.
""",
            },
            {
                "author": "ruth_accounting",
                "after_hours": 70.0,
                "body": "The refund is on our statement now. Thanks for the quick help.",
            },
        ],
    },
    {
        "category": "billing-accounts",
        "author": "jenna_k",
        "title": "How do I transfer ownership of our team account?",
        "age_hours": 600,
        "pinned": False,
        "locked": False,
        "accepted": 0,
        "body": """\
I set up our team account when we started, but I'm moving to a different role and our office
manager should be the owner (billing emails, payment method, etc.). I can't find a
"transfer" option anywhere in **Team settings**. Do I have to contact support?
""",
        "replies": [
            {
                "author": "priya_staff",
                "after_hours": 1.5,
                "body": """\
No need to contact support, you can do it yourself, but the new owner has to be a
**team member with the Admin role** first:

1. **Dashboard → Team → Members**, find your office manager and set their role to **Admin**.
2. Go to **Team settings → Ownership** (only visible to the current owner).
3. Click **Transfer ownership**, pick the new owner and confirm with your password.
4. They get an email and must **accept** within 7 days.

After the transfer you stay on the team as an Admin, and they can downgrade or remove you
later if needed. The payment method stays the same until the new owner changes it.

Docs: https://docs.example.com/teams/transfer-ownership
""",
            },
        ],
    },
    {
        "category": "billing-accounts",
        "author": "tomasz_w",
        "title": "Switching from monthly to annual mid-cycle: is it prorated?",
        "age_hours": 1080,
        "pinned": False,
        "locked": False,
        "accepted": 1,
        "body": "We're on the monthly Business plan (8 seats), renewed on the 3rd. If I switch "
        "to annual now, on the 19th, do I lose the rest of the month I already paid for?",
        "replies": [
            {
                "author": "ruth_accounting",
                "after_hours": 3.0,
                "body": "I did this last year and the unused part of the month was credited "
                "on the first annual invoice. It showed up as a separate negative line.",
            },
            {
                "author": "sam_support",
                "after_hours": 6.0,
                "body": """\
Ruth is right. When you switch in **Billing → Plan → Change to annual**:

- The annual period starts **today**, not on your old renewal date.
- Unused days of the current month are credited as a negative line item on the annual invoice.
- Seats carry over (8 seats at the annual per-seat price).

So for you: roughly 14 of 30 days are credited. The preview screen shows the exact amount
before you confirm. See https://docs.example.com/billing/proration
""",
            },
        ],
    },
    {
        "category": "billing-accounts",
        "author": "marco_r",
        "title": "Can I add our VAT number to invoices (and re-issue old ones)?",
        "age_hours": 5,
        "pinned": False,
        "locked": False,
        "accepted": None,
        "body": """\
Our accountant needs the company VAT ID printed on every invoice. I found the **Billing
address** form but there's no VAT field. Is there a place for it? And can the invoices from
January and February be re-issued with it, or is it too late for those?
""",
        "replies": [],
    },
]
