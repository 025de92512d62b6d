"""broadcast: commune news on administrative reform, turned into loudspeaker radio and video.

The package is a set of stages (text, script, voice, audio, video, schedule) over one store.
Nothing here runs at import time: engines and ffmpeg are located when a stage needs them.
"""

__version__ = "0.1.0"
