"""Delivery of what the system sends out: mail through the outbox (webhooks later)."""
