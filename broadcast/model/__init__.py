"""Value types shared by the store and the stages.

They live below both so that ``broadcast.store`` never imports a stage package: the store
persists these values, the stages compute them, and neither depends on the other's code.
One module per area (``script``, ``article``, ``translation`` …); the stages' old modules
re-export them so existing imports keep working.
"""
