"""The write side of Sprachrohr: aggregates, their events and the service layer."""
