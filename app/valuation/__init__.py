"""Social value: what an exchange is estimated to be worth to the community, in złoty.

An estimate for funders' reports and certificates of in-kind contribution, never a price: hours
of work × a rate for its kind, or the use of rooms, equipment, vehicles and items × a unit value.
Rates have defaults from public Polish sources (docs/social-value.md) that the network's
coordinator and each fair's organisers may change.
"""
