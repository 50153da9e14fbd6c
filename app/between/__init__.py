"""Between fairs: the network's own space (members' standing offers and needs, agreements in the
network's series), entering it from a fair, reminders to renew, the coordinator's fairs."""
