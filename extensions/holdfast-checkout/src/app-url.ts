// Where the extension reaches the app: shopify.app.toml's application_url (a test keeps them equal).
export const APP_URL = "https://holdfast.example.com";
