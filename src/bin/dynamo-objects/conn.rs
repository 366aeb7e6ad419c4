//! The connection options every table subcommand takes, and the
//! [`Database`] they describe.

use std::sync::Arc;

use clap::Args;
use dynamo_objects::database::DEFAULT_LOCAL_ENDPOINT;
use dynamo_objects::{AwsBackend, AwsOptions, Database};

/// Where the tables are: AWS (aws-config's chain, with `--profile` and
/// `--region`), or an endpoint such as DynamoDB Local or the mock server.
#[derive(Args, Clone, Debug, Default)]
pub(crate) struct ConnArgs {
    /// DynamoDB endpoint, e.g. DynamoDB Local or `dynamo-objects mock-server`
    /// (dummy credentials unless --profile is given).
    #[arg(long, value_name = "URL", conflicts_with = "local")]
    pub endpoint_url: Option<String>,
    /// AWS region (default: aws-config's chain; us-east-1 with an endpoint).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// AWS profile from ~/.aws/config and ~/.aws/credentials.
    #[arg(long, value_name = "PROFILE")]
    pub profile: Option<String>,
    /// Prefix of the table names (tables are named without it).
    #[arg(long, value_name = "PREFIX", default_value = "")]
    pub prefix: String,
    /// DynamoDB Local at http://localhost:8000 (as the original's
    /// `region_name='localhost'`).
    #[arg(long)]
    pub local: bool,
}

impl ConnArgs {
    /// The endpoint asked for, if any (`--endpoint-url` or `--local`).
    pub(crate) fn endpoint(&self) -> Option<String> {
        self.endpoint_url
            .clone()
            .or_else(|| self.local.then(|| DEFAULT_LOCAL_ENDPOINT.to_string()))
    }

    /// The connection these options describe. Nothing is contacted yet.
    pub(crate) async fn connect(&self) -> Database {
        let backend = match (self.endpoint(), &self.region, &self.profile) {
            // The library's own Local connection: dummy credentials, nothing
            // read from the environment.
            (Some(url), None, None) => AwsBackend::local(&url),
            (endpoint, region, profile) => {
                let mut options = AwsOptions::new();
                if let Some(url) = &endpoint {
                    options = options.endpoint_url(url);
                    if profile.is_none() {
                        options = options.credentials("dummy", "dummy");
                    }
                    if region.is_none() {
                        options = options.region("us-east-1");
                    }
                }
                if let Some(region) = region {
                    options = options.region(region);
                }
                if let Some(profile) = profile {
                    options = options.profile(profile);
                }
                AwsBackend::connect(options).await
            }
        };
        Database::new(Arc::new(backend), self.prefix.clone())
    }
}
