"""The meetings wing: meetings, invitees and their answers, check-ins, follow-up items."""
