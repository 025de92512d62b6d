"""``broadcast config``: the station's settings as they take effect, and a checker that
reports every problem of a station.toml at once (both read the one declaration,
``broadcast.store.station.SETTINGS``)."""
