"""住基異動 (resident-register change) file: layout, parse, validate, apply. See docs/interfaces/."""
