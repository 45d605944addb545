"""With JavaScript off, asking, replying and reporting still work: scripts only enhance."""

from playwright.sync_api import expect

from tests.browser.steps import register, unique

TITLE = "Scheduled backup never starts on Sunday nights"


def test_without_javascript_a_member_asks_replies_and_reports(visitors):
    member = visitors("member", javascript=False)
    register(member, unique("nojs"))
    page = member.page
    page.get_by_role("link", name="Ask a question").click()
    expect(page.get_by_role("region", name="Already answered?")).to_be_hidden()
    page.get_by_label("Category").select_option(label="Sync & backup")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Details").fill("The **schedule** says 23:00 but nothing runs.")
    page.get_by_role("button", name="Post your question").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".post.question strong")).to_have_text("schedule")

    page.get_by_label("Your reply").fill("It also skips the Monday run.")
    page.get_by_role("button", name="Post reply").click()
    expect(page.get_by_text("It also skips the Monday run.")).to_be_visible()

    page = member.goto("/c/mobile-apps")
    page.get_by_role("link", name="Feature request: only upload when the phone is charging").click()
    page.locator(".post", has_text="Thanks both!").get_by_role("link", name="Report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report a post")
    page.get_by_role("radio", name="Something else").check()
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("Please say in a few words what is wrong")).to_be_visible()
    page.get_by_label("Anything moderators should know?").fill("Outdated since the 3.9 release.")
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("Thank you. A moderator will review the post")).to_be_visible()
