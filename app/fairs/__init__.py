"""A fair: its settings, categories of resources, trading window and gong, announcements, and the
roles and access checks every page and service makes."""
