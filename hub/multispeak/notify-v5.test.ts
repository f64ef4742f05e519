import { describe, expect, it } from 'vitest';
import { PeerConfigSchema } from '../../adapters/multispeak/client/index.js';
import { cdStatesChangedContentV5, notificationEnvelopeV5 } from './notify-v5.js';

const peer = PeerConfigSchema.parse({ name: 'cis5', version: '5.0', endpoints: {}, credentials: { userId: 'busbar', password: 'hub-to-cis', appName: 'Busbar', company: 'Coop' } });

describe('the hub calling a 5.0 partner back', () => {
  it('CDStatesChangedNotification: body in the NOT_Server namespace, the partner\'s switch, referableID and transactionID, the failure as an errorObject (golden request)', () => {
    const content = cdStatesChangedContentV5(
      { requestId: 'cmd-1', action: 'disconnect', meter: { name: 'HES-7', nameType: 'multispeak:meterNo' }, outcome: 'failed', state: 'unknown', completedAt: '2024-05-01T14:05:00.000Z', failureReason: 'switch did not operate' },
      { name: '1005', nameType: 'multispeak:meterNo' },
      'CIS-1',
      'E-1',
    );
    const envelope = notificationEnvelopeV5({ partner: 'cis5', url: 'https://cis.example.org/NOT_Server', identity: { company: 'Coop', appName: 'Busbar' }, peer }, 'CDStatesChangedNotification', content, {
      messageID: 'm-1',
      timeStamp: '2024-05-01T14:10:00Z',
    });
    expect(envelope).toBe(
      `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header>` +
        `<MultiSpeakRequestMsgHeader xmlns="http://www.multispeak.org/V5.0/ws/request" xmlns:com="http://www.multispeak.org/V5.0/commonTypes" MessageID="m-1" TimeStamp="2024-05-01T14:10:00Z">` +
        `<MultiSpeakVersion><com:MajorVersion>5</com:MajorVersion><com:MinorVersion>0</com:MinorVersion><com:Build>7</com:Build></MultiSpeakVersion>` +
        `<Caller><com:AppName>Busbar</com:AppName><com:Company>Coop</com:Company><com:SystemID>busbar</com:SystemID><com:Password>hub-to-cis</com:Password></Caller></MultiSpeakRequestMsgHeader></soap:Header>` +
        `<soap:Body><CDStatesChangedNotification xmlns="http://www.multispeak.org/V5.0/wsdl/NOT_Server"><ArrayOfCDStateChange>` +
        `<CDStateChange xmlns="http://www.multispeak.org/V5.0/commonArrays" referableID="E-1"><errorObjects xmlns="http://www.multispeak.org/V5.0">` +
        `<errorObject xmlns="http://www.multispeak.org/V5.0/commonTypes" referenceID="E-1" nounType="CDStateChange"><eventTime>2024-05-01T14:05:00Z</eventTime><displayString>switch did not operate</displayString></errorObject></errorObjects>` +
        `<timeStamp xmlns="http://www.multispeak.org/V5.0">2024-05-01T14:05:00Z</timeStamp><CDDeviceIdentifier xmlns="http://www.multispeak.org/V5.0"><meterID meterName="1005"/></CDDeviceIdentifier>` +
        `<stateChange xmlns="http://www.multispeak.org/V5.0">Unknown</stateChange></CDStateChange></ArrayOfCDStateChange><transactionID>CIS-1</transactionID></CDStatesChangedNotification></soap:Body></soap:Envelope>`,
    );
  });

  it('a partner without outbound settings gets a Caller without SystemID or Password', () => {
    const envelope = notificationEnvelopeV5({ partner: 'cis5', url: 'https://cis.example.org/', identity: { company: 'Coop', appName: 'Busbar' } }, 'CDStatesChangedNotification', '', { messageID: 'm-2', timeStamp: '2024-05-01T14:10:00Z' });
    expect(envelope).toContain('<Caller><com:AppName>Busbar</com:AppName><com:Company>Coop</com:Company></Caller>');
  });
});
