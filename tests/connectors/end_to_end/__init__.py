"""End to end: the daemon between the TikTok Shop and SFCC sandboxes."""
