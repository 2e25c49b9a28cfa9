import { isKnownTimeZone } from './is-time-zone.validator.js';

describe(isKnownTimeZone.name, () => {
  it.each(['America/Los_Angeles', 'Europe/Berlin', 'Asia/Kolkata', 'UTC', 'America/Argentina/Buenos_Aires'])('accepts %s', (zone) => {
    expect(isKnownTimeZone(zone)).toBe(true);
  });

  it.each(['Mars/Olympus_Mons', '+02:00', 'GMT+2 ', '', 'Europe/', 42, null])('refuses %p', (zone) => {
    expect(isKnownTimeZone(zone)).toBe(false);
  });
});
