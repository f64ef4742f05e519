-- Meters are asked for by their number (a MultiSpeak meterNo is the number on the nameplate,
-- usually the serial number) and listed page by page in that order: an index makes both a
-- lookup instead of a scan of every meter.
CREATE INDEX meter_serial_number ON meter (serial_number);
