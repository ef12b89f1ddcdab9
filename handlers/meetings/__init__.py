"""The meetings wing: rapat baru, invitations and answers, check-in, attendance, follow-up."""
