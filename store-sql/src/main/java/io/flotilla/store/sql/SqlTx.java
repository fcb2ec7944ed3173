package io.flotilla.store.sql;

import io.flotilla.core.store.AuditRepository;
import io.flotilla.core.store.BrokerSessionRepository;
import io.flotilla.core.store.CommandRepository;
import io.flotilla.core.store.ConnectionRepository;
import io.flotilla.core.store.CredentialRepository;
import io.flotilla.core.store.DeviceCertificateRepository;
import io.flotilla.core.store.DeviceRepository;
import io.flotilla.core.store.ExpiryWarningRepository;
import io.flotilla.core.store.GroupRepository;
import io.flotilla.core.store.ProfileRepository;
import io.flotilla.core.store.ProvisioningJobRepository;
import io.flotilla.core.store.EnrollmentRepository;
import io.flotilla.core.store.RegisteredCaRepository;
import io.flotilla.core.store.RegistryTx;
import io.flotilla.core.store.RetainedMessageRepository;
import io.flotilla.core.store.TenantCaRepository;
import io.flotilla.core.store.TenantRepository;
import io.flotilla.core.store.TokenRepository;
import io.flotilla.core.store.TombstoneRepository;
import io.flotilla.core.store.TopicRuleRepository;
import io.flotilla.core.store.TwinRepository;
import io.flotilla.core.store.UserRepository;

/** The repositories of one transaction, all sharing its connection. */
final class SqlTx implements RegistryTx {
  private final TenantRepository tenants;
  private final UserRepository users;
  private final TokenRepository tokens;
  private final ProfileRepository profiles;
  private final DeviceRepository devices;
  private final GroupRepository groups;
  private final AuditRepository audit;
  private final CredentialRepository credentials;
  private final RetainedMessageRepository retainedMessages;
  private final BrokerSessionRepository brokerSessions;
  private final ConnectionRepository connections;
  private final TopicRuleRepository topicRules;
  private final TenantCaRepository tenantCas;
  private final DeviceCertificateRepository deviceCertificates;
  private final TombstoneRepository tombstones;
  private final ExpiryWarningRepository expiryWarnings;
  private final RegisteredCaRepository registeredCas;
  private final TwinRepository twins;
  private final ProvisioningJobRepository provisioningJobs;
  private final CommandRepository commands;
  private final EnrollmentRepository enrollments;

  SqlTx(JdbcSession sql) {
    tenants = new SqlTenantRepository(sql);
    users = new SqlUserRepository(sql);
    tokens = new SqlTokenRepository(sql);
    profiles = new SqlProfileRepository(sql);
    devices = new SqlDeviceRepository(sql);
    groups = new SqlGroupRepository(sql);
    audit = new SqlAuditRepository(sql);
    credentials = new SqlCredentialRepository(sql);
    retainedMessages = new SqlRetainedMessageRepository(sql);
    brokerSessions = new SqlBrokerSessionRepository(sql);
    connections = new SqlConnectionRepository(sql);
    topicRules = new SqlTopicRuleRepository(sql);
    tenantCas = new SqlTenantCaRepository(sql);
    deviceCertificates = new SqlDeviceCertificateRepository(sql);
    tombstones = new SqlTombstoneRepository(sql);
    expiryWarnings = new SqlExpiryWarningRepository(sql);
    registeredCas = new SqlRegisteredCaRepository(sql);
    twins = new SqlTwinRepository(sql);
    provisioningJobs = new SqlProvisioningJobRepository(sql);
    commands = new SqlCommandRepository(sql);
    enrollments = new SqlEnrollmentRepository(sql);
  }

  @Override
  public TenantRepository tenants() {
    return tenants;
  }

  @Override
  public UserRepository users() {
    return users;
  }

  @Override
  public TokenRepository tokens() {
    return tokens;
  }

  @Override
  public ProfileRepository profiles() {
    return profiles;
  }

  @Override
  public DeviceRepository devices() {
    return devices;
  }

  @Override
  public GroupRepository groups() {
    return groups;
  }

  @Override
  public AuditRepository audit() {
    return audit;
  }

  @Override
  public CredentialRepository credentials() {
    return credentials;
  }

  @Override
  public RetainedMessageRepository retainedMessages() {
    return retainedMessages;
  }

  @Override
  public BrokerSessionRepository brokerSessions() {
    return brokerSessions;
  }

  @Override
  public ConnectionRepository connections() {
    return connections;
  }

  @Override
  public TopicRuleRepository topicRules() {
    return topicRules;
  }

  @Override
  public TenantCaRepository tenantCas() {
    return tenantCas;
  }

  @Override
  public DeviceCertificateRepository deviceCertificates() {
    return deviceCertificates;
  }

  @Override
  public TombstoneRepository tombstones() {
    return tombstones;
  }

  @Override
  public ExpiryWarningRepository expiryWarnings() {
    return expiryWarnings;
  }

  @Override
  public RegisteredCaRepository registeredCas() {
    return registeredCas;
  }

  @Override
  public TwinRepository twins() {
    return twins;
  }

  @Override
  public ProvisioningJobRepository provisioningJobs() {
    return provisioningJobs;
  }

  @Override
  public CommandRepository commands() {
    return commands;
  }

  @Override
  public EnrollmentRepository enrollments() {
    return enrollments;
  }
}
