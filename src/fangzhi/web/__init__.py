"""The web application: pages to read, search and cite, and a JSON API under ``/api/``."""

from fangzhi.web.app import create_app

__all__ = ["create_app"]
