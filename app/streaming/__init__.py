"""What every wire protocol shares between its socket and the engine (HTTP, the WebSocket, Wyoming, ...).

text_in: text arriving piece by piece -> phrases to speak (segmenter, limits, skip rules, offsets).
audio_out: engine audio -> client bytes (resample, frame, encode) and word timings on the client's clock.
A protocol adapter only parses its messages and writes its events around these two.
"""
