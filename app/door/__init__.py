"""The door: badges and login slips (print runs in the background), the check-in desk, walk-ins."""
