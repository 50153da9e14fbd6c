"""People: organisations and the participants who represent them, their arrival, credentials and
PINs, registration and CSV import, staff and invitations, the first fair, logging in."""
