"""The audit log page (app/reports/views/audit_log.py)."""

from app.fairs.categories import add_category


def test_audit_page_searchable(client, fair, organiser, login):
    add_category(organiser, fair.id, "Ogrodnictwo")
    login(organiser)
    page = client.get(f"/f/{fair.slug}/admin/audit?q=Ogrodnictwo").get_data(as_text=True)
    assert "categories.add_category" in page
    other = client.get(f"/f/{fair.slug}/admin/audit?q=nic-takiego").get_data(as_text=True)
    assert "categories.add_category" not in other
