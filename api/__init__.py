"""Every way into Sprachrohr: JSON API, web pages and the command line."""
