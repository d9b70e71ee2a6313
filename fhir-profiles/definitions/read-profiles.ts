export const readProfiles = [];
