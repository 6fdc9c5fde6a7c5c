/** The API key of this browser tab: sessionStorage, so it goes with the tab and never to disk for good. */
const KEY = 'tf.apiKey';

export const getApiKey = (): string | null => sessionStorage.getItem(KEY);
export const setApiKey = (key: string): void => sessionStorage.setItem(KEY, key);
export const clearApiKey = (): void => sessionStorage.removeItem(KEY);
