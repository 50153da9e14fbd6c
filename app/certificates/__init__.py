"""Certificates of in-kind contribution ("zaświadczenie o wkładzie niefinansowym"): for a member and a
period, what it gave and received in signed agreements, each obligation with its estimated social
value; issued by a fair's organiser or the network's coordinator, reissued, never edited."""
