"""Files exchanged with the union's standard system (広域連合 標準システム). See docs/interfaces/."""
