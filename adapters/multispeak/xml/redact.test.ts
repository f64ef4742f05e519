import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEnvelope } from './envelope.js';
import { isSecretName, redactXml } from './redact.js';

const fixtureText = (name: string): string => readFileSync(new URL(`../__fixtures__/${name}`, import.meta.url), 'utf8');

describe('redactXml', () => {
  it('redacts Pwd, Password, AuditPassword and responsePwd attributes, any prefix or quote, nothing else', () => {
    const xml = `<h:MultiSpeakMsgHeader xmlns:h="urn:x" UserID="hub" Pwd="s3cret" h:AuditPassword='audit' PwdHint="keep" newPwd="keep" AppName="Pwd"/>`;
    expect(redactXml(xml)).toBe(`<h:MultiSpeakMsgHeader xmlns:h="urn:x" UserID="hub" Pwd="***" h:AuditPassword="***" PwdHint="keep" newPwd="keep" AppName="Pwd"/>`);
    expect(redactXml('<a pwd = "x y" PASSWORD="z"/>')).toBe('<a pwd = "***" PASSWORD="***"/>');
  });

  it('redacts element text, CDATA included, and leaves empty elements alone', () => {
    const xml =
      '<Caller><c:SystemID>cis</c:SystemID><c:Password>v5-secret</c:Password><AuditPassword type="x"> a </AuditPassword><Password/><Password /></Caller>' +
      '<registrationDetails><responseUserID>cb</responseUserID><responsePwd><![CDATA[p<w>d]]></responsePwd><PasswordPolicy>keep</PasswordPolicy></registrationDetails>';
    expect(redactXml(xml)).toBe(
      '<Caller><c:SystemID>cis</c:SystemID><c:Password>***</c:Password><AuditPassword type="x">***</AuditPassword><Password/><Password /></Caller>' +
        '<registrationDetails><responseUserID>cb</responseUserID><responsePwd>***</responsePwd><PasswordPolicy>keep</PasswordPolicy></registrationDetails>',
    );
  });

  it('redacts values cut off by a truncated message', () => {
    expect(redactXml('<h Pwd="s3cr')).toBe('<h Pwd="***"');
    expect(redactXml('<Password>s3cr')).toBe('<Password>***');
    expect(redactXml('<Password><![CDATA[s3cr')).toBe('<Password>***');
  });

  it('leaves no credential of the fixtures in the text, and the rest still parses to the same message', () => {
    for (const [name, secrets] of [
      ['xml-v3-get-latest-reading.xml', ['s3cret-Pa55', 'gateway-Pa55']],
      ['xml-v3-get-readings-by-meter-no.xml', ['p&amp;ss&quot;word']],
      ['xml-v41-ping.xml', ['hunter2', 'audit-secret']],
      ['xml-v5-request-common-types.xml', ['v5-secret']],
      ['xml-v5-response-result.xml', ['echo-secret']],
    ] as const) {
      const raw = fixtureText(name);
      const redacted = redactXml(raw);
      for (const secret of secrets) {
        expect(raw).toContain(secret);
        expect(redacted).not.toContain(secret);
      }
      const before = parseEnvelope(raw);
      const after = parseEnvelope(redacted);
      expect(after.version).toBe(before.version);
      expect(after.body).toEqual(before.body);
    }
  });

  it('names the secret fields', () => {
    expect(['Pwd', 'Password', 'AuditPassword', 'responsePwd', 'UserID', 'SystemID'].map(isSecretName)).toEqual([true, true, true, true, false, false]);
  });
});
