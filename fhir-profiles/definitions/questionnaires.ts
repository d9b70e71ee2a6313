export const questionnaires = [];
