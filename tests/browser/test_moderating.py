"""Journeys 3 and 4: spam held and purged by a moderator; a flagged post hidden by members and
restored from the audit log."""

from playwright.sync_api import expect

from tests.browser.steps import register, sign_in, unique

QUESTION = "Which plan suits a five-laptop office"
SPAM = (
    "CHEAP storage deals!!! Visit http://cheap-storage-deals.example/buy now and "
    "http://bit.ly/cheap-deals for 90% off, best price guaranteed."
)
SEARCH_QUESTION = "/search?q=" + QUESTION.replace(" ", "+")
SPAM_THREAD = "What are the rate limits for GET /v2/files?"


def post_spam(visitor):
    """A brand-new account asks an ordinary question, then replies with links: held."""
    page = visitor.goto("/threads/new")
    page.get_by_label("Category").select_option(label="Billing & accounts")
    page.get_by_label("Title").fill(QUESTION)
    page.get_by_label("Details").fill("We have five laptops and one shared drive. Thanks!")
    page.get_by_role("button", name="Post your question").click()
    expect(page.locator(".post.question .badge.status")).to_have_count(0)
    page = visitor.goto("/search?q=rate+limits")
    page.get_by_role("link", name=SPAM_THREAD, exact=True).click()
    page.get_by_label("Your reply").fill(SPAM)
    page.get_by_role("button", name="Post reply").click()
    held = page.locator(".post.status-held")
    expect(held.locator(".badge.status")).to_have_text("Waiting for review")
    expect(held.get_by_text("Only you and the moderators can see it")).to_be_visible()
    visitor.check("held-reply")
    return page.url


def test_moderator_removes_spam_and_bans_and_purges_the_author(visitors):
    spammer = visitors("spammer")
    name = unique("deals")
    register(spammer, name)
    thread_url = post_spam(spammer)

    reader = visitors("reader")
    page = reader.goto(SEARCH_QUESTION)
    expect(page.get_by_role("link", name=QUESTION)).to_be_visible()
    reader.page.goto(thread_url)
    expect(reader.page.get_by_text("cheap-storage-deals")).to_have_count(0)
    expect(reader.page.get_by_text("Waiting for review")).to_have_count(0)

    moderator = visitors("moderator")
    page = sign_in(moderator, "mod")
    page.get_by_role("link", name="Moderation").click()
    item = page.locator(".queue-item", has_text="cheap-storage-deals")
    expect(item.get_by_role("link", name=name)).to_be_visible()
    expect(item.get_by_role("table")).to_contain_text("link")
    moderator.check("queue")
    item.get_by_label("Reason for post").fill("advertising")
    item.get_by_role("button", name="Remove as spam").click()
    expect(page.get_by_text(f"Removed the post by {name} as spam.")).to_be_visible()
    page.get_by_role("link", name=f"Ban and purge {name}…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_label("Also remove every post by this account (purge)")).to_be_checked()
    page.get_by_label("Reason (kept in the audit log)").fill("spam account")
    moderator.check("ban-and-purge")
    page.get_by_role("button", name=f"Ban {name}").click()
    expect(page.get_by_text(f"{name} is banned; 1 post(s) removed.")).to_be_visible()
    moderator.check("queue-after-ban")

    page = reader.goto("/c/billing-accounts")
    expect(page.get_by_role("link", name=QUESTION)).to_have_count(0)
    page = reader.goto(SEARCH_QUESTION)
    expect(page.get_by_role("link", name=QUESTION)).to_have_count(0)
    reader.check("search-after-purge")

    spammer.page.reload()
    account = spammer.page.get_by_role("navigation", name="Account")
    expect(account.get_by_role("link", name="Sign in")).to_be_visible()


FLAGGED_THREAD = "Feature request: only upload when the phone is charging"
FLAGGED_TEXT = "+1, and ideally"


def report(visitor, reason):
    """Report the reply through the flag dialog (the page's script opens it in place)."""
    page = visitor.goto("/c/mobile-apps")
    page.get_by_role("link", name=FLAGGED_THREAD).click()
    post = page.locator(".post", has_text=FLAGGED_TEXT)
    post.get_by_role("link", name="Report").click()
    dialog = page.get_by_role("dialog", name="Report this post")
    expect(dialog).to_be_visible()
    dialog.get_by_label(reason).check()
    return page, dialog


def test_members_flags_hide_a_post_and_a_moderator_restores_it(visitors):
    for index, role in enumerate(("first", "second", "third")):
        member = visitors(f"{role}-member")
        register(member, unique("flagger"))
        page, dialog = report(member, "Off-topic")
        if index == 0:
            member.check("flag-dialog")
        dialog.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("The post is hidden until a moderator reviews it.")).to_be_visible()
    expect(page.get_by_text(FLAGGED_TEXT)).to_have_count(0)
    member.check("after-hiding")

    moderator = visitors("moderator")
    page = sign_in(moderator, "mod")
    page = moderator.goto("/moderation/log?action=hide")
    entry = page.locator("tbody tr", has_text="flag weight").first
    expect(entry).to_contain_text("hide")
    moderator.check("audit-log")
    entry.get_by_role("button", name="Undo").click()
    expect(page.get_by_text("undone", exact=False).first).to_be_visible()

    page = member.goto("/c/mobile-apps")
    page.get_by_role("link", name=FLAGGED_THREAD).click()
    expect(page.get_by_text(FLAGGED_TEXT, exact=False)).to_be_visible()
