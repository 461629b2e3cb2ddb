"""The read side of Sprachrohr: views built from the event log, exactly once."""
