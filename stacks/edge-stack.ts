import type { Construct } from "constructs";
import { Lazy } from "cdktf";
import { LayerStack, type LayerStackProps } from "./layer-stack";
import { AliasRecords } from "../modules/dns/alias-records";
import { DnsValidatedCertificate } from "../modules/certificate/dns-validated-certificate";
import { CertificateValidationRecords } from "../modules/certificate/validation-records";
import { OriginSecret } from "../modules/cdn/origin-secret";
import { WebAcl, BASELINE_MANAGED_RULE_GROUPS, SQL_INJECTION_RULE_GROUP } from "../modules/waf/web-acl";
import { KmsKey } from "../modules/kms-key/kms-key";
import { ApplicationLoadBalancer } from "../modules/alb/load-balancer";
import { ServiceTarget } from "../modules/alb/service-target";
import { hostName, serviceRoutes, siteHosts } from "../modules/alb/service-routes";
import { SecureBucket } from "../modules/secure-bucket/secure-bucket";
import { MAINTENANCE_ERROR_RESPONSES, StaticSiteDistribution, type AppOrigin, type ErrorResponse } from "../modules/cdn/static-site-distribution";
import { FailoverRecord } from "../modules/failover-record/failover-record";

/** What the edge layer reads from the network layer. */
export interface EdgeNetworkInputs {
  readonly vpcId: string;
  /** One per AZ. */
  readonly publicSubnetIds: string[];
  readonly securityGroupIds: { readonly alb: string };
  /** The environment's public zone (the network layer creates or looks it up). */
  readonly hostedZoneId: string;
}

/** What the edge layer reads from the data layer. */
export interface EdgeDataInputs {
  /** Key of the primary region's log groups (CloudWatch Logs may use it). */
  readonly logsKeyArn: string;
  readonly buckets: {
    /**
     * The access-log bucket, in the primary region: SSE-S3 (ALB logs), ACLs enabled
     * (CloudFront standard logging), a policy letting ELB write under `alb/` and
     * S3 server access logs under `s3/`.
     */
    readonly logs: { readonly name: string };
  };
}

export interface EdgeStackProps extends LayerStackProps {
  readonly network: EdgeNetworkInputs;
  readonly data: EdgeDataInputs;
}

/** A service's target group, for the app layer's TargetGroupBinding and the alarms. */
export interface TargetGroupOutput {
  readonly arn: string;
  readonly arnSuffix: string;
}

/**
 * `<env>-edge`: ACM certificates (regional for the ALB, us-east-1 for
 * CloudFront) validated through one set of records in the network layer's zone,
 * the ALB with its IP target groups, WAF web ACLs, the site distribution (static
 * paths from the assets bucket, everything else from web through the ALB with
 * the origin secret header), the maintenance page, and the DNS records: the site
 * on CloudFront, the API failing over from the ALB to the maintenance page on
 * its health check.
 */
export class EdgeStack extends LayerStack {
  readonly albArn: string;
  readonly albArnSuffix: string;
  readonly albDnsName: string;
  readonly albZoneId: string;
  readonly targetGroups: Record<string, TargetGroupOutput> = {};
  readonly hostedZoneId: string;
  readonly siteDistributionId: string;
  readonly siteDistributionDomainName: string;
  readonly maintenanceDistributionId: string;
  readonly apiHealthCheckId: string;
  readonly assetsBucketName: string;
  readonly wafAclNames: { readonly regional: string; readonly cloudfront: string };

  constructor(scope: Construct, props: EdgeStackProps) {
    super(scope, "edge", props);
    const env = this.environment;
    const edge = env.edge;
    const prefix = env.names.prefix;
    const domain = env.domain.name;
    const apiOriginLabel = edge.apiOriginSubdomain ?? `${edge.apiSubdomain}-origin`;
    const apiHost = hostName(edge.apiSubdomain, domain);
    const apiOriginHost = hostName(apiOriginLabel, domain);
    const wwwHost = hostName("www", domain);
    const siteOriginHost = hostName(edge.siteOriginSubdomain, domain);
    const routes = serviceRoutes(env.app.services, { domain, apiSubdomain: edge.apiSubdomain, apiOriginSubdomain: apiOriginLabel, siteOriginSubdomain: edge.siteOriginSubdomain });
    // The ALB's names: the API's, and each route's (the site's origin name instead of the apex and www).
    const albHosts = [...new Set([apiHost, apiOriginHost, ...routes.flatMap((r) => r.hosts)])];
    const zoneId = props.network.hostedZoneId;
    this.forgetMovedZone();

    // One record per validation name for both certificates (ACM's CNAME is per name and account).
    const cdnNames = [domain, wwwHost, apiHost];
    const validationRecords = new CertificateValidationRecords(this, "validation-records", { zoneId, names: [...new Set([...albHosts, ...cdnNames])] });
    const albCertificate = new DnsValidatedCertificate(this, "alb-certificate", {
      domainName: albHosts[0],
      subjectAlternativeNames: albHosts.slice(1),
      validationRecords,
    });
    // CloudFront only takes certificates from us-east-1; the API name is the maintenance distribution's.
    const cdnCertificate = new DnsValidatedCertificate(this, "cdn-certificate", {
      domainName: cdnNames[0],
      subjectAlternativeNames: cdnNames.slice(1),
      validationRecords,
      provider: this.usEast1Provider,
    });
    this.adoptValidationRecords(validationRecords);

    const regionalAcl = new WebAcl(this, "waf-regional", {
      name: `${prefix}-regional`,
      scope: "REGIONAL",
      rateLimit: edge.wafRateLimit,
      managedRuleGroups: [...BASELINE_MANAGED_RULE_GROUPS, SQL_INJECTION_RULE_GROUP],
      // The site's requests arrive from CloudFront's addresses: rate-limited per viewer by the CLOUDFRONT ACL.
      rateLimitExemptHost: siteOriginHost,
      logging: { retentionDays: env.logRetentionDays, kmsKeyArn: props.data.logsKeyArn },
    });
    // The CLOUDFRONT ACL and its log group live in us-east-1, so their key must too.
    const wafLogsKey = new KmsKey(this, "waf-logs-key", {
      alias: `${prefix}/waf-logs`,
      description: `${prefix}: CloudWatch log group of the CloudFront web ACL (us-east-1)`,
      accountId: env.accountId,
      provider: this.usEast1Provider,
      serviceGrants: [
        {
          sid: "CloudWatchLogsEncryptsWafLogGroups",
          service: "logs.us-east-1.amazonaws.com",
          actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
          condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:us-east-1:${env.accountId}:log-group:aws-waf-logs-${prefix}-*` } },
        },
      ],
    });
    const cloudfrontAcl = new WebAcl(this, "waf-cloudfront", {
      name: `${prefix}-cloudfront`,
      scope: "CLOUDFRONT",
      rateLimit: edge.wafRateLimit,
      logging: { retentionDays: env.logRetentionDays, kmsKeyArn: wafLogsKey.keyArn },
      provider: this.usEast1Provider,
    });

    const alb = new ApplicationLoadBalancer(this, "alb", {
      name: `${prefix}-alb`,
      subnetIds: props.network.publicSubnetIds,
      securityGroupIds: [props.network.securityGroupIds.alb],
      certificateArn: albCertificate.certificateArn,
      accessLogs: { bucket: props.data.buckets.logs.name, prefix: "alb" },
      idleTimeoutSeconds: edge.albIdleTimeoutSeconds,
      webAclArn: regionalAcl.webAclArn,
    });
    // CloudFront sends the secret to the site's origin; the site's listener rule requires it.
    const servesSite = routes.some((r) => r.viaCloudFront);
    const originSecret = servesSite ? new OriginSecret(this, "origin-secret", { rotation: edge.originSecretRotation }) : undefined;
    const siteRules = [];
    for (const route of routes) {
      const target = new ServiceTarget(this, `target-${route.service}`, {
        name: `${prefix}-${route.service}`,
        vpcId: props.network.vpcId,
        port: route.port,
        healthCheckPath: route.healthCheckPath,
        deregistrationDelaySeconds: edge.targetDeregistrationDelaySeconds,
        listenerArn: alb.httpsListenerArn,
        priority: route.priority,
        hosts: route.hosts,
        paths: route.paths,
        requiredHeader: route.viaCloudFront && originSecret ? { name: originSecret.headerName, values: originSecret.acceptedValues } : undefined,
      });
      if (route.viaCloudFront && target.rule) siteRules.push(target.rule);
      this.targetGroups[route.service] = { arn: target.targetGroupArn, arnSuffix: target.targetGroupArnSuffix };
    }

    // CloudFront reads the origin buckets through OAC, so their key must let it
    // decrypt, for this stack's two distributions only (ARNs resolved at synthesis).
    let siteArn: string | undefined;
    let maintenanceArn: string | undefined;
    const originKey = new KmsKey(this, "cdn-origin-key", {
      alias: `${prefix}/cdn-origins`,
      description: `${prefix}: static-assets and maintenance buckets served by CloudFront`,
      accountId: env.accountId,
      serviceGrants: [
        {
          sid: "CloudFrontDecryptsOriginObjects",
          service: "cloudfront.amazonaws.com",
          actions: ["kms:Decrypt"],
          condition: {
            StringEquals: {
              "AWS:SourceArn": [Lazy.stringValue({ produce: () => siteArn }), Lazy.stringValue({ produce: () => maintenanceArn })],
            },
          },
        },
      ],
    });
    const logs = props.data.buckets.logs;
    const originBucket = (id: string, purpose: string) => {
      const bucketName = `${prefix}-${purpose}-${env.accountId}`;
      return new SecureBucket(this, id, {
        bucketName,
        kmsKeyArn: originKey.keyArn,
        accessLogs: { targetBucketName: logs.name, prefix: `s3/${bucketName}/` },
      });
    };
    const assets = originBucket("assets-bucket", "assets");
    const maintenancePage = originBucket("maintenance-bucket", "maintenance");

    const distribution = (id: string, name: string, bucket: SecureBucket, aliases: string[], errorResponses?: readonly ErrorResponse[], appOrigin?: AppOrigin) =>
      new StaticSiteDistribution(this, id, {
        name: `${prefix}-${name}`,
        bucketRegionalDomainName: bucket.bucketRegionalDomainName,
        aliases,
        certificateArn: cdnCertificate.certificateArn,
        webAclArn: cloudfrontAcl.webAclArn,
        // CloudFront wants the global endpoint name of the bucket, not the regional one.
        logging: { bucketDomainName: `${logs.name}.s3.amazonaws.com`, prefix: `cloudfront/${name}/` },
        priceClass: edge.cdnPriceClass,
        minimumProtocolVersion: edge.cdnMinimumProtocol,
        errorResponses,
        appOrigin,
      });
    // Static paths from the bucket, everything else from web through the ALB under the site origin
    // name (on the ALB's certificate), HTTPS only, with the secret header.
    const site = distribution(
      "site-cdn",
      "site",
      assets,
      siteHosts(domain),
      undefined,
      originSecret ? { domainName: siteOriginHost, customHeader: { name: originSecret.headerName, value: originSecret.currentValue }, staticPaths: edge.staticPaths } : undefined,
    );
    // A rotation must reach the listener rule (which then accepts both values) before CloudFront sends the new one.
    if (siteRules.length > 0) site.distribution.dependsOn = siteRules.map((r) => `${r.terraformResourceType}.${r.friendlyUniqueId}`);
    const maintenance = distribution("maintenance-cdn", "maintenance", maintenancePage, [apiHost], MAINTENANCE_ERROR_RESPONSES);
    siteArn = site.distributionArn;
    maintenanceArn = maintenance.distributionArn;
    assets.grantRead("cloudfront.amazonaws.com", site.distributionArn, { sid: "AllowCloudFrontSiteDistributionReads" });
    maintenancePage.grantRead("cloudfront.amazonaws.com", maintenance.distributionArn, { sid: "AllowCloudFrontMaintenanceDistributionReads" });

    new AliasRecords(this, "site-records", {
      zoneId,
      names: [domain, wwwHost],
      target: { dnsName: site.domainName, zoneId: site.hostedZoneId },
    });
    // Names served by the ALB alone: the API origin (the health check's target) and extra route hosts.
    new AliasRecords(this, "alb-records", {
      zoneId,
      names: albHosts.filter((h) => ![apiHost, domain, wwwHost].includes(h)),
      target: { dnsName: alb.albDnsName, zoneId: alb.albZoneId },
      recordTypes: ["A"],
      // The ALB's alias health means "every target group with targets is healthy": the API's
      // health check (which probes the origin name) must not inherit web's or worker's state.
      evaluateTargetHealth: false,
    });
    const api = new FailoverRecord(this, "api-failover", {
      zoneId,
      name: apiHost,
      primary: { dnsName: alb.albDnsName, zoneId: alb.albZoneId },
      secondary: { dnsName: maintenance.domainName, zoneId: maintenance.hostedZoneId },
      healthCheck: {
        fqdn: apiOriginHost,
        resourcePath: edge.healthCheckPath,
        port: 443,
        requestInterval: 30,
        failureThreshold: 3,
        measureLatency: true,
      },
    });

    this.albArn = alb.albArn;
    this.albArnSuffix = alb.albArnSuffix;
    this.albDnsName = alb.albDnsName;
    this.albZoneId = alb.albZoneId;
    this.hostedZoneId = zoneId;
    this.siteDistributionId = site.distributionId;
    this.siteDistributionDomainName = site.domainName;
    this.maintenanceDistributionId = maintenance.distributionId;
    this.apiHealthCheckId = api.healthCheckId;
    this.assetsBucketName = assets.bucketName;
    this.wafAclNames = { regional: regionalAcl.webAclName, cloudfront: cloudfrontAcl.webAclName };
  }

  /**
   * The zone moved to the network layer (issue 12): where this state still holds it, forget it
   * instead of destroying it (the network layer imports it; docs/architecture.md, upgrade notes).
   */
  private forgetMovedZone(): void {
    if (this.environment.domain.zone !== "create") return;
    this.addRemoved(`aws_route53_zone.${LEGACY_ADDRESSES.zone}`);
  }

  /**
   * The validation records each certificate wrote before: the ALB certificate's move to the shared
   * records (their instance keys are the names), the CloudFront certificate's, which held the same
   * Route 53 records for the names both cover, are forgotten, not destroyed (destroying them would
   * delete records the shared resource now owns; its other names are written again, in place).
   */
  private adoptValidationRecords(records: CertificateValidationRecords): void {
    records.record.moveFromId(`aws_route53_record.${LEGACY_ADDRESSES.albValidationRecords}`);
    this.addRemoved(`aws_route53_record.${LEGACY_ADDRESSES.cdnValidationRecords}`);
  }

  private readonly removedBlocks: { from: string; lifecycle: { destroy: boolean } }[] = [];
  private addRemoved(from: string): void {
    this.removedBlocks.push({ from, lifecycle: { destroy: false } });
    this.addOverride("removed", this.removedBlocks);
  }
}

/** Terraform names of resources this stack held before issue 12 (construct paths zone/zone, <cert>/validation-record). */
const LEGACY_ADDRESSES = {
  zone: "zone_6E295601",
  albValidationRecords: "alb-certificate_validation-record_8B090C27",
  cdnValidationRecords: "cdn-certificate_validation-record_3A4FC5CF",
} as const;
