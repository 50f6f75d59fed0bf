"""Other vendors' streaming TTS protocols over our one streaming session (app/api/ws): Cartesia, ElevenLabs and
Deepgram, so voice-agent frameworks' own service classes work against this server unchanged but for the address
and key. Each adapter only translates messages (docs/COMPATIBILITY.md)."""
