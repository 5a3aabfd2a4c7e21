#!/usr/bin/env node
/*
 * Writes the demo inventory fixtures read by FixtureInventoryProvider (config/inventory/*.json).
 * Deterministic: a seeded PRNG and fixed dates, so re-running produces byte-identical files and a
 * reviewer can trust a diff. Usage: node scripts/generate-demo-inventory.js [outputDir]
 *
 *   contoso-hq     golden source for baselines (42 policies, 7 per kind)
 *   fabrikam       contoso-hq with known drift: CA005 missing, one extra VPN profile, 3 policies
 *                  with changed settings; shared policies keep contoso's external ids, but their
 *                  volatile fields (createdDateTime, lastModifiedDateTime, version) differ, so only
 *                  a compare that strips volatile fields reports exactly those 3 changes
 *   northwind      3000 policies with 2 ms latency per item: counted progress is visible in demos
 *   tailspin-prod  25 policies of an unrelated tenant
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** mulberry32: tiny, seedable, good enough for demo data (Math.random is not reproducible). */
function rngFrom(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min, max) => min + Math.floor(next() * (max - min + 1));
  const pick = (list) => list[int(0, list.length - 1)];
  const bool = (p = 0.5) => next() < p;
  const hex = (n) => Array.from({ length: n }, () => int(0, 15).toString(16)).join('');
  const guid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;
  return { next, int, pick, bool, guid };
}

const DAY_MS = 86400000;
const EPOCH = Date.UTC(2023, 8, 1, 8, 0, 0);
/** Graph metadata that changes without the policy changing; baselines strip these. */
function volatile(r, odataType, id) {
  const created = EPOCH + r.int(0, 300) * DAY_MS + r.int(0, 86399) * 1000;
  const modified = created + r.int(1, 200) * DAY_MS + r.int(0, 86399) * 1000;
  return {
    '@odata.type': odataType,
    id,
    createdDateTime: new Date(created).toISOString(),
    lastModifiedDateTime: new Date(modified).toISOString(),
    version: r.int(1, 14),
  };
}

const GROUPS = {
  admins: '5f0c2d4e-91a7-4b1e-8c3d-2a6b9e0f1c47',
  breakGlass: 'b7e3a1c9-0d24-4f6a-9e85-3c1d7b2a4e90',
  allStaff: '0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b',
  frontline: '7c6b5a4f-3e2d-4c1b-9a0f-8e7d6c5b4a39',
  kiosks: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f',
};
const ROLES = { globalAdmin: '62e90394-69f5-4237-9190-012177145e10', securityAdmin: '194ae4cb-b126-40b2-bd5b-6091b380977d' };
const assign = (r) => ({ includeGroups: [r.pick([GROUPS.allStaff, GROUPS.frontline])], excludeGroups: [GROUPS.breakGlass] });
const blockAction = (grace) => [{ ruleName: 'PasswordRequired', scheduledActionConfigurations: [{ actionType: 'block', gracePeriodHours: grace }] }];
/** Settings catalog instances: choices are named `<definition>_<option>`, other values are simple. */
const catalogSetting = (id, value) => ({
  settingInstance: typeof value === 'number' && value > 1
    ? { settingDefinitionId: id, simpleSettingValue: { value } }
    : { settingDefinitionId: id, choiceSettingValue: { value: `${id}_${value}`, children: [] } },
});

/** Policy templates per kind: [display name, Graph @odata.type, settings builder]. */
const TEMPLATES = {
  deviceConfiguration: [
    ['Win10 - Device Restrictions - Corporate', '#microsoft.graph.windows10GeneralConfiguration', (r) => ({
      passwordRequired: true, passwordMinimumLength: r.pick([12, 14]), passwordRequiredType: 'alphanumeric',
      passwordMinutesOfInactivityBeforeScreenTimeout: r.pick([10, 15]), storageRequireMobileDeviceEncryption: true,
      cameraBlocked: false, edgeBlockPasswordManager: r.bool(),
      defender: { cloudBlockLevel: 'high', cloudExtendedTimeoutInSeconds: 50, requireRealTimeMonitoring: true, scanType: 'full',
        scheduledScanDay: 'everyday', signatureUpdateIntervalInHours: 4, potentiallyUnwantedAppAction: 'block', monitorFileActivity: 'monitorAllFiles' },
      assignments: assign(r),
    })],
    ['Win10 - Endpoint Protection - Firewall and BitLocker', '#microsoft.graph.windows10EndpointProtectionConfiguration', (r) => ({
      firewallBlockStatefulFTP: true,
      firewallProfileDomain: { firewallEnabled: 'allowed', inboundConnectionsBlocked: true, outboundConnectionsBlocked: false, stealthModeBlocked: false },
      firewallProfilePublic: { firewallEnabled: 'allowed', inboundConnectionsBlocked: true, unicastResponsesToMulticastBroadcastsBlocked: true },
      bitLockerSystemDrivePolicy: { encryptionMethod: r.pick(['xtsAes256', 'xtsAes128']), startupAuthenticationRequired: true, recoveryOptions: { recoveryKeyUsage: 'allowed', hideRecoveryOptions: true } },
      assignments: assign(r),
    })],
    ['iOS - Device Restrictions - Supervised', '#microsoft.graph.iosGeneralDeviceConfiguration', (r) => ({
      passcodeRequired: true, passcodeMinimumLength: r.pick([6, 8]), passcodeBlockSimple: true, passcodeMinutesOfInactivityBeforeLock: 5,
      iCloudBlockBackup: true, iCloudBlockDocumentSync: true, appStoreBlocked: false, airDropBlocked: r.bool(0.7), assignments: assign(r),
    })],
    ['Android Enterprise - Work Profile - Restrictions', '#microsoft.graph.androidWorkProfileGeneralDeviceConfiguration', (r) => ({
      workProfilePasswordMinimumLength: r.pick([6, 8]), workProfilePasswordRequiredType: 'numericComplex',
      workProfileBlockCrossProfileCopyPaste: true, workProfileDataSharingType: 'preventAny', securityRequireVerifyApps: true, assignments: assign(r),
    })],
    ['macOS - Device Restrictions', '#microsoft.graph.macOSGeneralDeviceConfiguration', (r) => ({
      passwordRequired: true, passwordMinimumLength: r.pick([10, 12]), passwordMinutesOfInactivityBeforeScreenTimeout: 15,
      airDropBlocked: true, iCloudBlockDocumentSync: r.bool(), assignments: assign(r),
    })],
    ['Win10 - Update Ring - Broad', '#microsoft.graph.windowsUpdateForBusinessConfiguration', (r) => ({
      qualityUpdatesDeferralPeriodInDays: r.pick([3, 7]), featureUpdatesDeferralPeriodInDays: r.pick([30, 60]),
      automaticUpdateMode: 'autoInstallAtMaintenanceTime', deadlineForQualityUpdatesInDays: 3, deadlineGracePeriodInDays: 2,
      microsoftUpdateServiceAllowed: true, driversExcluded: false, assignments: assign(r),
    })],
    ['Win10 - Delivery Optimization', '#microsoft.graph.windowsDeliveryOptimizationConfiguration', (r) => ({
      deliveryOptimizationMode: 'httpWithPeeringNat', restrictPeerSelectionBy: 'subnetMask',
      bandwidthMode: { maximumDownloadBandwidthInKilobytesPerSecond: r.pick([0, 20480]) }, cacheServerHostNames: [], assignments: assign(r),
    })],
  ],
  compliancePolicy: [
    ['Win10 - Compliance - Corporate baseline', '#microsoft.graph.windows10CompliancePolicy', (r) => ({
      passwordRequired: true, passwordMinimumLength: 12, osMinimumVersion: r.pick(['10.0.19045', '10.0.22621']), bitLockerEnabled: true,
      secureBootEnabled: true, codeIntegrityEnabled: true, defenderEnabled: true, rtpEnabled: true,
      scheduledActionsForRule: blockAction(r.pick([0, 24])), assignments: assign(r),
    })],
    ['iOS - Compliance - Corporate', '#microsoft.graph.iosCompliancePolicy', (r) => ({
      passcodeRequired: true, passcodeMinimumLength: 6, osMinimumVersion: r.pick(['16.0', '17.0']), securityBlockJailbrokenDevices: true,
      deviceThreatProtectionRequiredSecurityLevel: 'low', scheduledActionsForRule: blockAction(24), assignments: assign(r),
    })],
    ['Android Enterprise - Compliance - Work profile', '#microsoft.graph.androidWorkProfileCompliancePolicy', (r) => ({
      passwordRequired: true, passwordMinimumLength: 6, securityBlockJailbrokenDevices: true, securityRequireSafetyNetAttestationBasicIntegrity: true,
      osMinimumVersion: r.pick(['11.0', '12.0']), scheduledActionsForRule: blockAction(72), assignments: assign(r),
    })],
    ['macOS - Compliance - Corporate', '#microsoft.graph.macOSCompliancePolicy', (r) => ({
      passwordRequired: true, passwordMinimumLength: 10, storageRequireEncryption: true, systemIntegrityProtectionEnabled: true,
      firewallEnabled: true, osMinimumVersion: r.pick(['13.0', '14.0']), scheduledActionsForRule: blockAction(24), assignments: assign(r),
    })],
    ['Win10 - Compliance - Defender for Endpoint risk', '#microsoft.graph.windows10CompliancePolicy', (r) => ({
      deviceThreatProtectionEnabled: true, deviceThreatProtectionRequiredSecurityLevel: r.pick(['low', 'medium']),
      scheduledActionsForRule: blockAction(0), assignments: assign(r),
    })],
    ['iOS - Compliance - BYOD minimum', '#microsoft.graph.iosCompliancePolicy', (r) => ({
      passcodeRequired: true, passcodeMinimumLength: 4, securityBlockJailbrokenDevices: true, osMinimumVersion: '15.0',
      scheduledActionsForRule: blockAction(r.pick([48, 72])), assignments: assign(r),
    })],
    ['Win10 - Compliance - Kiosk devices', '#microsoft.graph.windows10CompliancePolicy', () => ({
      passwordRequired: false, bitLockerEnabled: true, secureBootEnabled: true, osMinimumVersion: '10.0.19045',
      scheduledActionsForRule: blockAction(24), assignments: { includeGroups: [GROUPS.kiosks], excludeGroups: [] },
    })],
  ],
  conditionalAccessPolicy: [
    ['CA001: Require MFA for administrators', '#microsoft.graph.conditionalAccessPolicy', () => ca('enabled',
      { includeRoles: [ROLES.globalAdmin, ROLES.securityAdmin], excludeGroups: [GROUPS.breakGlass] }, ['All'], { operator: 'OR', builtInControls: ['mfa'] })],
    ['CA002: Block legacy authentication', '#microsoft.graph.conditionalAccessPolicy', () => ({
      ...ca('enabled', { includeUsers: ['All'], excludeGroups: [GROUPS.breakGlass] }, ['All'], { operator: 'OR', builtInControls: ['block'] }),
      clientAppTypes: ['exchangeActiveSync', 'other'] })],
    ['CA003: Require MFA for all users', '#microsoft.graph.conditionalAccessPolicy', () => ca('enabled',
      { includeUsers: ['All'], excludeGroups: [GROUPS.breakGlass] }, ['All'], { operator: 'OR', builtInControls: ['mfa'] })],
    ['CA004: Require compliant or hybrid joined device for Office 365', '#microsoft.graph.conditionalAccessPolicy', () => ca('enabled',
      { includeGroups: [GROUPS.allStaff], excludeGroups: [GROUPS.breakGlass] }, ['Office365'],
      { operator: 'OR', builtInControls: ['compliantDevice', 'domainJoinedDevice'] })],
    ['CA005: Block access from untrusted countries', '#microsoft.graph.conditionalAccessPolicy', () => ({
      ...ca('enabled', { includeUsers: ['All'], excludeGroups: [GROUPS.breakGlass] }, ['All'], { operator: 'OR', builtInControls: ['block'] }),
      locations: { includeLocations: ['All'], excludeLocations: ['AllTrusted'] } })],
    ['CA006: Require app protection policy on mobile', '#microsoft.graph.conditionalAccessPolicy', () => ({
      ...ca('enabled', { includeUsers: ['All'], excludeGroups: [GROUPS.breakGlass] }, ['Office365'],
        { operator: 'OR', builtInControls: ['approvedApplication', 'compliantApplication'] }),
      platforms: { includePlatforms: ['android', 'iOS'] } })],
    ['CA007: Sign-in frequency for unmanaged devices', '#microsoft.graph.conditionalAccessPolicy', (r) => ({
      ...ca('enabledForReportingButNotEnforced', { includeUsers: ['All'], excludeGroups: [GROUPS.breakGlass] }, ['All'], null),
      sessionControls: { signInFrequency: { value: r.pick([4, 8]), type: 'hours', isEnabled: true }, persistentBrowser: { mode: 'never', isEnabled: true } } })],
  ],
  appProtectionPolicy: [
    ['iOS - App Protection - Corporate data', '#microsoft.graph.iosManagedAppProtection', (r) => mam(r, 6, true)],
    ['Android - App Protection - Corporate data', '#microsoft.graph.androidManagedAppProtection', (r) => mam(r, 6, true)],
    ['iOS - App Protection - BYOD', '#microsoft.graph.iosManagedAppProtection', (r) => mam(r, 4, false)],
    ['Android - App Protection - BYOD', '#microsoft.graph.androidManagedAppProtection', (r) => mam(r, 4, false)],
    ['Windows - App Protection - Edge', '#microsoft.graph.windowsManagedAppProtection', (r) => ({
      printingBlocked: true, allowedInboundDataTransferSources: 'allApps', allowedOutboundClipboardSharingLevel: 'none',
      maximumAllowedDeviceThreatLevel: r.pick(['low', 'medium']), assignments: assign(r) })],
    ['iOS - App Protection - Frontline', '#microsoft.graph.iosManagedAppProtection', (r) => mam(r, 4, true)],
    ['Android - App Protection - Frontline', '#microsoft.graph.androidManagedAppProtection', (r) => mam(r, 4, true)],
  ],
  settingsCatalogPolicy: [
    ['Edge - Security baseline', '#microsoft.graph.deviceManagementConfigurationPolicy', (r) => catalog(r, 'windows10', [
      catalogSetting('device_vendor_msft_policy_config_microsoft_edgev92~policy~microsoft_edge_smartscreenenabled', 1),
      catalogSetting('device_vendor_msft_policy_config_microsoft_edgev92~policy~microsoft_edge_sslerroroverrideallowed', 0)])],
    ['Win - OneDrive Known Folder Move', '#microsoft.graph.deviceManagementConfigurationPolicy', (r) => catalog(r, 'windows10', [
      catalogSetting('device_vendor_msft_policy_config_onedrivengscv2~policy~onedrivengsc_kfmsilentoptin', 1),
      catalogSetting('device_vendor_msft_policy_config_onedrivengscv2~policy~onedrivengsc_kfmblockoptout', 1)])],
    ['Win - Windows Hello for Business', '#microsoft.graph.deviceManagementConfigurationPolicy', (r) => catalog(r, 'windows10', [
      catalogSetting('device_vendor_msft_passportforwork_{tenantid}_policies_usepassportforwork', 'true'),
      catalogSetting('device_vendor_msft_passportforwork_{tenantid}_policies_pincomplexity_minimumpinlength', r.pick([6, 8]))])],
    ['Win - Local administrator password (LAPS)', '#microsoft.graph.deviceManagementConfigurationPolicy', (r) => catalog(r, 'windows10', [
      catalogSetting('device_vendor_msft_laps_policies_backupdirectory', 1),
      catalogSetting('device_vendor_msft_laps_policies_passwordagedays', r.pick([30, 60]))])],
    ['macOS - FileVault', '#microsoft.graph.deviceManagementConfigurationPolicy', (r) => catalog(r, 'macOS', [
      catalogSetting('com.apple.mcx.filevault2_enable', 'on'), catalogSetting('com.apple.mcx.filevault2_defer', 'true')])],
    ['Win - Office - Block macros from the internet', '#microsoft.graph.deviceManagementConfigurationPolicy', (r) => catalog(r, 'windows10', [
      catalogSetting('user_vendor_msft_policy_config_word16v2~policy~l_microsoftofficeword~l_wordoptions~l_security~l_trustcenter_l_blockmacroexecutionfrominternet', 1)])],
    ['Win - Power and sleep', '#microsoft.graph.deviceManagementConfigurationPolicy', (r) => catalog(r, 'windows10', [
      catalogSetting('device_vendor_msft_policy_config_power_standbytimeoutpluggedin', r.pick([900, 1800]))])],
  ],
  endpointSecurityPolicy: [
    ['Antivirus - Microsoft Defender (Windows)', '#microsoft.graph.deviceManagementConfigurationPolicy', (r) => esp(r, 'endpointSecurityAntivirus', {
      allowRealtimeMonitoring: 1, allowCloudProtection: 1, cloudBlockLevel: r.pick(['high', 'highPlus']), submitSamplesConsent: 'sendSafeSamplesAutomatically' })],
    ['Firewall - Windows', '#microsoft.graph.deviceManagementConfigurationPolicy', (r) => esp(r, 'endpointSecurityFirewall', {
      domainProfile: { enableFirewall: true, defaultInboundAction: 'block' }, publicProfile: { enableFirewall: true, defaultInboundAction: 'block' } })],
    ['Disk encryption - BitLocker', '#microsoft.graph.deviceManagementConfigurationPolicy', (r) => esp(r, 'endpointSecurityDiskEncryption', {
      requireDeviceEncryption: 1, encryptionMethodByDriveType: { osDrive: 'xtsAes256', fixedDrive: 'xtsAes256', removableDrive: 'aesCbc128' } })],
    ['Attack surface reduction - Standard rules', '#microsoft.graph.deviceManagementConfigurationPolicy', (r) => esp(r, 'endpointSecurityAttackSurfaceReduction', {
      blockExecutableContentFromEmailClientAndWebmail: 'block', blockOfficeApplicationsFromCreatingChildProcesses: r.pick(['block', 'audit']),
      blockCredentialStealingFromLsass: 'block' })],
    ['EDR - Defender for Endpoint onboarding', '#microsoft.graph.deviceManagementConfigurationPolicy', (r) => esp(r, 'endpointSecurityEndpointDetectionAndResponse', {
      sampleSharing: 1, telemetryReportingFrequency: r.pick(['normal', 'expedite']) })],
    ['Account protection - Credential Guard', '#microsoft.graph.deviceManagementConfigurationPolicy', (r) => esp(r, 'endpointSecurityAccountProtection', {
      lsaCfgFlags: 1, windowsHelloForBusiness: { enabled: true, minimumPinLength: 6 } })],
    ['Antivirus - Microsoft Defender (macOS)', '#microsoft.graph.deviceManagementConfigurationPolicy', (r) => esp(r, 'endpointSecurityAntivirus', {
      enableRealTimeProtection: true, passiveMode: false, cloudBlockLevel: 'high' })],
  ],
};

function ca(state, users, includeApplications, grantControls) {
  return {
    state,
    conditions: { users, applications: { includeApplications, excludeApplications: [] }, clientAppTypes: ['all'] },
    grantControls,
  };
}

function mam(r, minimumPinLength, managedBrowserRequired) {
  return {
    periodOfflineBeforeAccessCheck: 'PT12H', periodOnlineBeforeAccessCheck: 'PT30M', pinRequired: true, minimumPinLength,
    dataBackupBlocked: true, saveAsBlocked: true, allowedDataStorageLocations: ['oneDriveForBusiness', 'sharePoint'],
    allowedOutboundDataTransferDestinations: 'managedApps', managedBrowserToOpenLinksRequired: managedBrowserRequired,
    appActionIfMaximumPinRetriesExceeded: 'block', maximumPinRetries: r.pick([5, 8]), assignments: assign(r),
  };
}

function catalog(r, platforms, settings) {
  return { platforms, technologies: 'mdm', roleScopeTagIds: ['0'], settingCount: settings.length, settings, assignments: assign(r) };
}
function esp(r, templateFamily, settings) {
  return { templateReference: { templateFamily, templateDisplayVersion: 'Version 1' }, platforms: 'windows10', settings, assignments: assign(r) };
}

const KINDS = Object.keys(TEMPLATES);

function item(r, kind, [name, odataType, build], displayName = name) {
  const externalId = r.guid();
  return { kind, external_id: externalId, display_name: displayName, settings: { ...volatile(r, odataType, externalId), ...build(r) } };
}

function contoso() {
  const r = rngFrom(20240115);
  return KINDS.flatMap((kind) => TEMPLATES[kind].map((template) => item(r, kind, template)));
}

/** Sets a value at a dotted path, failing loudly if the path is not there (keeps drift honest). */
function setPath(settings, dotted, value) {
  const keys = dotted.split('.');
  const last = keys.pop();
  const parent = keys.reduce((node, key) => node[key], settings);
  if (!parent || !(last in parent)) throw new Error(`drift path ${dotted} does not exist`);
  parent[last] = value;
}

function fabrikam(golden) {
  const r = rngFrom(31337);
  const byName = (name) => {
    const found = items.find((i) => i.display_name === name);
    if (!found) throw new Error(`no policy named ${name}`);
    return found;
  };
  // Same policies (and external ids) as the golden tenant, but its own metadata timestamps.
  const items = golden
    .filter((i) => i.display_name !== 'CA005: Block access from untrusted countries')
    .map((i) => {
      const settings = structuredClone(i.settings);
      Object.assign(settings, volatile(r, settings['@odata.type'], i.external_id));
      return { ...i, settings };
    });
  const corp = byName('Win10 - Device Restrictions - Corporate').settings;
  setPath(corp, 'passwordMinimumLength', 8);
  setPath(corp, 'defender.cloudBlockLevel', 'moderate');
  const mfa = byName('CA003: Require MFA for all users').settings;
  setPath(mfa, 'state', 'enabledForReportingButNotEnforced');
  setPath(mfa, 'grantControls.builtInControls', ['mfa', 'compliantDevice']);
  const ios = byName('iOS - App Protection - Corporate data').settings;
  setPath(ios, 'minimumPinLength', 4);
  setPath(ios, 'dataBackupBlocked', false);
  items.push(item(r, 'deviceConfiguration', ['Fabrikam - Legacy VPN profile', '#microsoft.graph.windows10VpnConfiguration', () => ({
    connectionType: 'ciscoAnyConnect', servers: [{ address: 'vpn.fabrikam.example', description: 'Legacy head-end', isDefaultServer: true }],
    enableSplitTunneling: true, authenticationMethod: 'usernameAndPassword', assignments: { includeGroups: [GROUPS.allStaff], excludeGroups: [] } })]));
  return shuffle(r, items); // provider order must never look like drift
}

function shuffle(r, list) {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** A tenant built from the templates; a policy repeated for several sites gets the site in its name. */
function generated(seed, count, prefix) {
  const r = rngFrom(seed);
  const sites = ['AMS', 'BOS', 'CHI', 'DUB', 'LON', 'NYC', 'SEA', 'SYD', 'TOR', 'ZRH'];
  const used = new Map();
  return Array.from({ length: count }, (_, n) => {
    const kind = KINDS[n % KINDS.length];
    const template = r.pick(TEMPLATES[kind]);
    const seen = used.get(template[0]) ?? 0;
    used.set(template[0], seen + 1);
    const site = sites[seen % sites.length];
    const wave = Math.floor(seen / sites.length);
    const label = `${prefix} - ${template[0]}${seen === 0 ? '' : ` (${site}${wave ? ` ${wave + 1}` : ''})`}`;
    return item(r, kind, template, label);
  });
}

const COMPACT_ABOVE_BYTES = 2 * 1024 * 1024;

/** Pretty for hand editing; compact when pretty printing would bloat the repository. */
function write(dir, slug, fixture) {
  const file = path.join(dir, `${slug}.json`);
  const pretty = JSON.stringify(fixture, null, 2);
  fs.writeFileSync(file, `${pretty.length > COMPACT_ABOVE_BYTES ? JSON.stringify(fixture) : pretty}\n`);
  console.log(`${file}: ${fixture.items.length} items, ${fs.statSync(file).size} bytes`);
}

const outDir = path.resolve(process.argv[2] || path.join(__dirname, '..', 'config', 'inventory'));
fs.mkdirSync(outDir, { recursive: true });
const golden = contoso();
write(outDir, 'contoso-hq', { items: golden });
write(outDir, 'fabrikam', { items: fabrikam(golden) });
write(outDir, 'northwind', { latency_ms_per_item: 2, items: generated(4242, 3000, 'NW') });
write(outDir, 'tailspin-prod', { items: generated(777, 25, 'TSP') });
