"""Staff screens: server-rendered, Japanese."""
