"""Agreements: drafting, signing, the notary, PDF handouts and follow-up of fulfilment."""
