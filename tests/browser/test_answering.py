"""Journey 5: staff answer from the unanswered queue, accept the answer, publish its KB article,
and the dashboard shows the time to first response."""

from playwright.sync_api import expect

from tests.browser.steps import sign_in


def test_staff_answer_accept_publish_and_see_the_dashboard(visitor):
    page = sign_in(visitor, "sam_support")
    page.get_by_role("link", name="Unanswered").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Unanswered questions")
    visitor.check("unanswered")
    oldest = page.locator(".thread-title").first
    title = oldest.inner_text()
    oldest.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)

    page.get_by_role("textbox", name="Your reply").fill(
        "Thanks for the details. Open **Settings → Backup** and press *Verify*; it repairs this."
    )
    page.get_by_role("button", name="Post reply").click()
    reply = page.locator("article.post", has_text="it repairs this")
    expect(reply.locator(".badge.role-staff")).to_have_text("Staff")
    reply.get_by_role("button", name="Mark as accepted answer").click()
    expect(page.get_by_role("heading", name="✓ Accepted answer")).to_be_visible()
    visitor.check("accepted")

    page.locator(".kb-link a").click()
    title_field = page.get_by_label("Title")
    expect(title_field).to_have_value(title)
    title_field.fill(f"{title} (fixed by Verify)")
    page.get_by_role("button", name="Save and publish").click()
    expect(page.get_by_text("published", exact=False).first).to_be_visible()
    visitor.check("kb-published")

    page = visitor.goto("/kb/")
    expect(page.get_by_role("link", name=f"{title} (fixed by Verify)").first).to_be_visible()

    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Service quality")
    staff_median = page.locator("tr", has_text="Median time to first response").locator("td").nth(1)
    assert float(staff_median.get_attribute("data-seconds")) > 0
    visitor.check("dashboard")
