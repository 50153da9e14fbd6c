from app.agreements.signing import record_paper_agreement
from app.network.sectors import Sector


def test_stats_count_signed_agreements_matrix_and_points(client, trading_fair, notary, make_participant,
                                                          make_draft):
    biz, ngo, pub = (make_participant(sector=Sector.BUSINESS), make_participant(sector=Sector.NGO),
                     make_participant(sector=Sector.PUBLIC))
    d1 = make_draft(biz, ngo)
    record_paper_agreement(notary, trading_fair.id, d1.id, d1.version)
    d2 = make_draft(ngo, pub, [(ngo, pub, "Wolontariusze", 15)])
    record_paper_agreement(notary, trading_fair.id, d2.id, d2.version)
    make_draft(biz, pub)  # a draft does not count
    s = client.get(f"/api/fairs/{trading_fair.slug}/stats").json
    assert s["agreements_signed"] == 2
    assert s["points_pledged"] == 70 + 15
    m = s["sector_matrix"]
    assert m["business"]["ngo"] == m["ngo"]["business"] == 1
    assert m["ngo"]["public"] == 1 and m["business"]["public"] == 0
