"""The province server (issue 16): many communes' stations in one PostgreSQL database, each a
folder of the shared media folder. A SQLite workspace is one station and needs none of it."""
