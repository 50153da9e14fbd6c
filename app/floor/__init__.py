"""The trading floor: offers and needs, the board, matches, a participant's public card and the
Socket.IO handlers the live pages connect to."""
