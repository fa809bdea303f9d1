"""The app's texts, one module per page: TEXTS = {key: (english, chinese)}."""
