"""The members' web app: server-rendered pages (Jinja2 + htmx), German and English."""
