"""Pages of one's own account: invitations, passwords, sessions."""
