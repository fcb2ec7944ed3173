package io.flotilla.core.store;

/** The repositories of one open transaction; valid only inside {@link RegistryStore.Work#run}. */
public interface RegistryTx {
  TenantRepository tenants();

  UserRepository users();

  TokenRepository tokens();

  ProfileRepository profiles();

  DeviceRepository devices();

  GroupRepository groups();

  AuditRepository audit();

  CredentialRepository credentials();

  RetainedMessageRepository retainedMessages();

  BrokerSessionRepository brokerSessions();

  ConnectionRepository connections();

  TopicRuleRepository topicRules();

  TenantCaRepository tenantCas();

  DeviceCertificateRepository deviceCertificates();

  TombstoneRepository tombstones();

  ExpiryWarningRepository expiryWarnings();

  RegisteredCaRepository registeredCas();

  TwinRepository twins();
  ProvisioningJobRepository provisioningJobs();
  CommandRepository commands();
  EnrollmentRepository enrollments();
}
