"""Agreements: drafted from a card or a post, checked against the money taboo, signed on two phones
(or one), countersigned by the notary, printed, verified by their QR code, followed up and
fulfilled (which posts to the ledger), reminded."""
