// An SPA as its authors write it for Cognito: Amplify v6, SRP sign-in (Amplify's default), then an
// API call with the access token. Only userPoolEndpoint points at the local pool.
import { Amplify } from 'aws-amplify';
import { fetchAuthSession, signIn } from 'aws-amplify/auth';

interface SpaConfig {
  userPoolId: string;
  clientId: string;
  endpoint: string;
  apiUrl: string;
}

const config = JSON.parse(document.getElementById('config')!.textContent) as SpaConfig;
Amplify.configure({
  Auth: { Cognito: { userPoolId: config.userPoolId, userPoolClientId: config.clientId, userPoolEndpoint: config.endpoint } },
});

const form = document.querySelector('form')!;
const output = document.getElementById('result')!;
form.addEventListener('submit', (event) => {
  event.preventDefault();
  const data = new FormData(form);
  void (async () => {
    try {
      const result = await signIn({ username: data.get('username') as string, password: data.get('password') as string });
      if (!result.isSignedIn) throw new Error(`sign-in stopped at ${result.nextStep.signInStep}`);
      const { tokens } = await fetchAuthSession();
      const response = await fetch(`${config.apiUrl}/api/v1/me`, {
        headers: { authorization: `Bearer ${tokens!.accessToken.toString()}` },
      });
      output.textContent = JSON.stringify({ status: response.status, body: await response.json() });
    } catch (error) {
      output.textContent = JSON.stringify({ error: (error as Error).name, message: (error as Error).message });
    }
  })();
});
