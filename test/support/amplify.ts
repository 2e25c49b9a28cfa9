import { Amplify } from 'aws-amplify';
import { testStack } from './stack-env.js';

/** Amplify 6 as an SPA sets it up for the test stack's web client, but for the local pool's endpoint. */
export function configureAmplify(): void {
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: testStack().userPoolId,
        userPoolClientId: testStack().webClientId,
        userPoolEndpoint: testStack().emulatorEndpoint,
      },
    },
  });
}
