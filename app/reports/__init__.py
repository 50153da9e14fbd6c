"""What the fair shows of itself: stats and the stats API, results and their PDF report, charts,
exports, the control room, the big screen, the brokers' page and the audit log page."""
